"""Orders, their lines, customers and the product catalogue."""
