"""Consolidation of unit submissions into a parent's totals (SPEC §4, §5.3).

``inputs`` finds and reads submissions, ``policy`` accepts, supersedes or rejects them,
``merge`` merges rows and computes figures, ``aggregates`` reads figures sent without a
register, ``writer`` writes the output workbook; ``model`` holds what they share."""

from .merge import consolidate, merge
from .result import Consolidation

__all__ = ["Consolidation", "consolidate", "merge"]
