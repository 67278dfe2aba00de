"""storyline.bench"""
