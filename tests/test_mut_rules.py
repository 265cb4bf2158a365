"""db/rules: the boundaries and messages the mutation run found open (see bench/mutation.py)."""
