"""ormlette's benchmark suite: raw drivers, ormlette, Django, SQLAlchemy ORM and Peewee side by side."""
