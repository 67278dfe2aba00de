"""storyline.api"""
