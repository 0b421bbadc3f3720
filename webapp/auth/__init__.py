"""Users, roles, regions, login and logout."""
