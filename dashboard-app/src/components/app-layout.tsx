// The frame around every page: navigation (drawer on phones), site and date controls, global filters.
import { useState, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router-dom';
import {
  AppBar, Box, Drawer, IconButton, List, ListItemButton, ListItemIcon, ListItemText, Stack, Toolbar, Tooltip, Typography, useMediaQuery, useTheme,
} from '@mui/material';
import MenuIcon from '@mui/icons-material/Menu';
import Logout from '@mui/icons-material/Logout';
import Dashboard from '@mui/icons-material/Dashboard';
import Bolt from '@mui/icons-material/Bolt';
import Campaign from '@mui/icons-material/Campaign';
import TouchApp from '@mui/icons-material/TouchApp';
import Public from '@mui/icons-material/Public';
import FilterAlt from '@mui/icons-material/FilterAlt';
import QueryStats from '@mui/icons-material/QueryStats';
import { SitePicker } from './site-picker.tsx';
import { DateRangePicker } from './date-range-picker.tsx';
import { FilterBar } from './filter-bar.tsx';

export const NAV = [
  { path: '/', label: 'Overview', icon: <Dashboard /> },
  { path: '/realtime', label: 'Realtime', icon: <Bolt /> },
  { path: '/acquisition', label: 'Acquisition', icon: <Campaign /> },
  { path: '/engagement', label: 'Engagement', icon: <TouchApp /> },
  { path: '/audience', label: 'Audience', icon: <Public /> },
  { path: '/funnels', label: 'Funnels', icon: <FilterAlt /> },
  { path: '/explorer', label: 'Explorer', icon: <QueryStats /> },
] as const;

const DRAWER = 220;

/** Pages that draw the previous period beside the current one; elsewhere the switch would do nothing. */
const COMPARING_PAGES = new Set(['/', '/engagement', '/funnels']);

export function AppLayout({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up('md'));
  const [open, setOpen] = useState(false);
  const { pathname, search } = useLocation();
  const current = NAV.find((n) => n.path === pathname) ?? NAV[0];
  const nav = (
    <Box component="nav" aria-label="Reports" sx={{ width: DRAWER }}>
      <Toolbar>
        <Typography variant="h6" component="div" sx={{ fontWeight: 800, color: 'primary.main' }}>webcube</Typography>
      </Toolbar>
      <List>
        {NAV.map((item) => (
          <ListItemButton
            key={item.path}
            component={NavLink}
            to={{ pathname: item.path, search: keepViewParams(search) }}
            selected={item.path === pathname}
            onClick={() => setOpen(false)}
            aria-current={item.path === pathname ? 'page' : undefined}
          >
            <ListItemIcon sx={{ minWidth: 36 }}>{item.icon}</ListItemIcon>
            <ListItemText primary={item.label} />
          </ListItemButton>
        ))}
      </List>
    </Box>
  );
  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      <a href="#main" className="skip-link">Skip to content</a>
      {wide
        // The docked drawer stretches with the page (flex) and carries the background; its paper
        // sticks to the viewport. A fixed, 100%-high paper alone stops one screen down.
        ? <Drawer variant="permanent" data-testid="sidebar" sx={{ width: DRAWER, flexShrink: 0, bgcolor: 'background.paper', borderRight: 1, borderColor: 'divider', '& .MuiDrawer-paper': { width: DRAWER, position: 'sticky', top: 0, height: '100vh', borderRight: 0 } }}>{nav}</Drawer>
        : <Drawer open={open} onClose={() => setOpen(false)}>{nav}</Drawer>}
      <Box sx={{ flex: 1, minWidth: 0 }}>
        {/* Sticky only where there is room: on a phone the controls would cover half the screen. */}
        <AppBar position={wide ? 'sticky' : 'static'} color="inherit" elevation={0} sx={{ borderBottom: 1, borderColor: 'divider' }}>
          <Toolbar sx={{ gap: 1, flexWrap: 'wrap', py: 1 }}>
            {!wide && <IconButton edge="start" aria-label="Open navigation" onClick={() => setOpen(true)}><MenuIcon /></IconButton>}
            <Typography variant="h6" component="h1" sx={{ fontWeight: 700, mr: 2, flex: { xs: 1, md: 'none' } }}>{current.label}</Typography>
            <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', flex: 1, order: { xs: 3, md: 0 }, minWidth: { xs: '100%', md: 0 } }}>
              <SitePicker />
              {pathname !== '/realtime' && <DateRangePicker showCompare={COMPARING_PAGES.has(pathname)} />}
            </Stack>
            <Tooltip title="Sign out"><IconButton aria-label="Sign out" onClick={onSignOut}><Logout /></IconButton></Tooltip>
          </Toolbar>
          <Box sx={{ px: { xs: 2, sm: 3 }, pb: 1 }}><FilterBar /></Box>
        </AppBar>
        <Box component="main" id="main" tabIndex={-1} sx={{ p: { xs: 1.5, sm: 3 }, maxWidth: 1400 }}>
          {children}
        </Box>
      </Box>
    </Box>
  );
}

/** Moving between pages keeps the view (site, dates, filters) but drops page-specific params. */
function keepViewParams(search: string): string {
  const params = new URLSearchParams(search);
  const keep = new URLSearchParams();
  for (const k of ['site', 'range', 'from', 'to', 'compare', 'g', 'tz', 'country', 'device', 'source', 'page', 'campaign']) {
    const v = params.get(k);
    if (v !== null) keep.set(k, v);
  }
  const s = keep.toString();
  return s ? `?${s}` : '';
}
