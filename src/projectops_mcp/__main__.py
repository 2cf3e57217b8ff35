from projectops_mcp.cli import main

raise SystemExit(main())
