"""storyline.embed"""
