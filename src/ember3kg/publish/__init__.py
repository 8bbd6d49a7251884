"""The dataset as published: assembled from its parts, described (VoID, counts) and exported."""
