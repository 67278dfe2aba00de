"""storyline.summarize"""
