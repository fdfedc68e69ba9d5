"""mixmerge.search"""
