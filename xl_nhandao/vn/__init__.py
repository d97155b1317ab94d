"""The Vietnamese domain, independent of any workbook: text (NFC, legacy TCVN3/VNI,
name keys), values as clerks type them (dates, money, CCCD), administrative units
(2025 and 2004 code lists) and the campaign's reporting periods."""
