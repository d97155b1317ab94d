"""Overlap with other programmes and inside the campaign (SPEC §5.4): who is also in a
poverty list, a Tết Nhân ái list…, who is registered by two units, and which support
events are counted twice; the review workbook and the coordinator's decisions."""
