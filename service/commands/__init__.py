"""Sub-commands of the mixmerge CLI, one module each."""
