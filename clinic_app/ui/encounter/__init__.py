"""The encounter editor: chart, sites, form, checks, signing and addenda."""
