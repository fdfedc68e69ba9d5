"""mixmerge.objectives"""
