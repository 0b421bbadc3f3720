"""The daily report: figures per state and region, charts, CSV and XLSX exports."""
