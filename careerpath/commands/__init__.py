"""The command line's commands, a module each: its parser and thin handlers over the packages
below."""
