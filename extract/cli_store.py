"""Commands for archives: `minutes batch`, `minutes query`, `minutes commitments`, `minutes figures`."""
