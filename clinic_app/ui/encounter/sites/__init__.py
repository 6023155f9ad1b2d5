"""The site table: its model, view, cell editors and wording."""
