"""sswanalysis: township and street social work stations (乡镇(街道)社工站) data and analysis."""
