"""cminbox: the social inbox a community manager keeps open all day, in a terminal."""

__version__ = "0.1.0"
