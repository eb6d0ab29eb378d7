from gateway.cli.app import app

app(prog_name="order-gateway")
