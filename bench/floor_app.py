"""Floor (a): a bare Flask app, not this project, answering a small fixed JSON object."""

from flask import Flask

app = Flask(__name__)


@app.get("/floor")
def floor():
    return {"status": "ok"}
