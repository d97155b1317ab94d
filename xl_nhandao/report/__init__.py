"""Official reports (SPEC §5.5): Excel templates filled from a consolidation, amounts in
Vietnamese words and official dates (:mod:`.words`)."""
