"""Field-level permissions and row scopes: the policy every view, serializer and write path reads."""
