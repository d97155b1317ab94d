"""Official reports (issue 8): Excel report templates filled from a consolidation, amounts
in words, a Word narrative draft."""
