"""`python -m frontline …` runs the same CLI as the `frontline` console script."""

from frontline.cli import main

main()
