"""reflectkit: a reflection and case-study workbook for the command line."""

__version__ = "0.1.0"
