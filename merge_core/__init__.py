"""mixmerge.merge_core"""
