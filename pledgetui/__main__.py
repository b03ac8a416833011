from pledgetui.cli import main

raise SystemExit(main())
