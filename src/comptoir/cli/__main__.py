from comptoir.cli.main import app

app()
