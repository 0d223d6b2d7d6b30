from kubesim.cli.main import main

main()
