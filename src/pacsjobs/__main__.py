"""``python -m pacsjobs``: the same as the ``pacsjobs`` command."""

from pacsjobs.cli import main

if __name__ == "__main__":
    main()
