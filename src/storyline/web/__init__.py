"""storyline.web"""
