"""`segurnum demo`: the seed's story played against the running local platform."""
