"""Open data: the public read API, the ODbL data package, dashboards and the Atom feed."""
