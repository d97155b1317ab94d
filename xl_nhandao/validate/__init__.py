"""Validation of one workbook: every rule of SPEC §3 over what the reader read, as a
:class:`Report` of findings (codes from :mod:`xl_nhandao.issues`)."""

from .rules import Report, Unit, validate_file, validate_source

__all__ = ["Report", "Unit", "validate_file", "validate_source"]
