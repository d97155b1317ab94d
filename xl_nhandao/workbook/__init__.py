"""The standard workbook XLND-1 and workbook access: the declaration (sheets, fields,
code lists, indicators), sources (a file on disk; a live Excel book in the add-in), the
tolerant reader, safe output writing, the blank-workbook generator and annotation."""
