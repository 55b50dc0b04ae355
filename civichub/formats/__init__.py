"""Date, time and number formats: one per kind, the same in Georgian and English (docs/glossary.md)."""
