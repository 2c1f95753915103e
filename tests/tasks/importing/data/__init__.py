"""Builders of test files for the reports tests (workbooks, broken and hostile files)."""
