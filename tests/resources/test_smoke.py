def test_register_and_read_user(api, jake):
    response = api.as_user(jake).get("/api/user")
    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"
