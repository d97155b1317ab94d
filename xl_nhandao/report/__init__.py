"""Official reports (SPEC §5.5): report templates filled from a consolidation, amounts in words, the narrative draft."""
