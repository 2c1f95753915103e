"""The annual assessment workbook (考核表): safe writer, sheets, scoring, and the build service."""
