"""The ground floor: plain helpers every app may import; core imports no app."""
