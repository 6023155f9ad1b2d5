"""First-run setup, sign-in and the clinic settings administrators edit."""
