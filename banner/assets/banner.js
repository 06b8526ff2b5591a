// banner
