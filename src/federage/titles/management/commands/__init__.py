"""`federage verify`, in titles: the highest of the three apps it checks (books, logs, titles)."""
