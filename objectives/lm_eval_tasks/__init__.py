"""lm-eval task definitions of the built-in H3 objectives (YAML + utils.py); pass this folder as --include_path."""
