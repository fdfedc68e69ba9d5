"""mixmerge.service"""
