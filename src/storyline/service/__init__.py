"""What the REST API and the web pages both call: the store and the library functions behind one
object per server (`ServerContext`). It sits below `storyline.api` and `storyline.web`, which
never import each other; `storyline.server` builds the app from both."""
