"""Error pages: in the site's style, with a message people understand."""


def test_404_page_is_styled(client):
    response = client.get("/groups/no-such-group")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "We can&#39;t find that page" in html and "hearth.css" in html


def test_oversized_post_gets_a_clear_413(client):
    response = client.post("/auth/login", data={"email": "a" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too much to send" in response.get_data(as_text=True)


def test_unexpected_error_shows_the_500_page(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
