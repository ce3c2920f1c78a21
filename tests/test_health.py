"""Health checks for load balancers and orchestrators."""

from tests.conftest import make_test_app


def test_healthz_answers_without_a_database():
    app = make_test_app("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_200_when_the_database_answers(client):
    assert client.get("/readyz").status_code == 200


def test_readyz_is_503_when_the_database_is_down():
    app = make_test_app(
        "postgresql+psycopg://nobody@127.0.0.1:1/none",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "database unavailable"}
