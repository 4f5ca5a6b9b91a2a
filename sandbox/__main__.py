from sandbox.run import main

main()
