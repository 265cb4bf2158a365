"""Business rules for every entity, shared by the forms and the importer.

`validate(obj, session)` returns a list of `Problem`s with Korean messages; errors block a save,
warnings are shown. Area modules register their rules with `rule(Model)(fn)` on import.
"""

from .core import ERROR, WARNING, Problem, Severity, errors, label_of, rule, validate

__all__ = ["ERROR", "WARNING", "Problem", "Severity", "errors", "label_of", "rule", "validate"]
